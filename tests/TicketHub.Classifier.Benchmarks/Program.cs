using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using TicketHub.Classifier.Benchmarks;

// dotnet run -c Release --project tests/TicketHub.Classifier.Benchmarks -- --affinity 1 --filter '*'
// Reports and logs go beside the binaries (bin/…/BenchmarkDotNet.Artifacts), not into the repository.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(ClassifierDecisionBenchmark).Assembly).Run(args, config);
