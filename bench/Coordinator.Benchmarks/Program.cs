using Coordinator.Benchmarks;

// Each benchmark is a subcommand; every one prints one JSON object per measurement on stdout
// (machine-readable) and a human summary on stderr. Run in Release:
//   dotnet run -c Release --project bench/Coordinator.Benchmarks -- <benchmark> [options]
return await BenchmarkCommands.RunAsync(args);
