// Pure outreach logic (no I/O). Each module re-exported here.
export {};
