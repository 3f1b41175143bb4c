INSERT INTO events (kind) VALUES ('login'), ('debug'), ('logout');
