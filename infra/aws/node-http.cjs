// node:http for the bundles, loaded through require: an ESM import of node:http makes Node build its
// module namespace, which reads every export, and its WebSocket/EventSource getters load undici (~30 ms).
module.exports = require('http');
