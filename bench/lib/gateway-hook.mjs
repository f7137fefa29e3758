// Preloaded into the gateway child (`node --import bench/lib/gateway-hook.mjs ...`).
// 1. Exits when stdin closes: the benchmark's parent dying never leaves a gateway behind.
// 2. Exits with process.exit() on SIGTERM/SIGINT, registered before NestJS's own shutdown
//    hooks: NestJS re-raises the signal after closing, which kills Node before
//    `--cpu-prof` can write its .cpuprofile; a normal exit writes it.
// Nothing here runs per request.
const exit = () => process.exit(0);
process.once('SIGTERM', exit);
process.once('SIGINT', exit);
process.stdin.on('end', exit);
process.stdin.on('close', exit);
process.stdin.resume();
