// One duration syntax for every program in the repository: the rules live in shared/duration.ts.
export { formatDuration, parseDuration } from '../../../shared/duration.js';
