-- sessions was UNLOGGED for speed; we now need it to survive a crash.
ALTER TABLE sessions SET LOGGED;
