package dev.reverso.cli;

/** How a command reports: for people, or for machines (sarif and github are for lint; other commands print text for them). */
enum Format { text, json, sarif, github }
