package dev.reverso.cli;

/** How a command reports: for people, or for machines. */
enum Format { text, json }
