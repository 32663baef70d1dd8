//! Benchmarks of the unleashx client, the simulator and the build; see BENCHMARKS.md.
