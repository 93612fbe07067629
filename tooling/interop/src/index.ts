// Helpers for interop tests against real clients on loopback. Private: never published.
export { startProcess, stopAll, type ManagedProcess } from './process.js';
export { waitFor } from './wait.js';
export { freePort, freeTcpUdpPort, isListening } from './net.js';
export { hasTool, interop, SYSTEM_PYTHON, type Tool } from './tools.js';
export { startOpentracker, type Opentracker } from './opentracker.js';
