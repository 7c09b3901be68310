namespace Studio.Live.Bench;

/// <summary>What the benchmark runs: changes per second, for how long, how many hub clients, over how many pods.</summary>
internal sealed record Options(int Rate, int Seconds, int Clients, int Pods);
