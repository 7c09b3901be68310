namespace Studio.Live.Bench;

/// <summary>
/// What the benchmark runs: changes per second, for how long, how many hub clients, over how many pods; with
/// <see cref="RawClients"/>, the clients are raw WebSocket clients of which <see cref="References"/> parse every message
/// (<see cref="Protocol"/> json or messagepack); self-checks: with <see cref="DropFrame"/> one of them loses a frame on
/// purpose, with <see cref="StallSeconds"/> one stops reading for that long (small socket buffer) so that it falls behind.
/// </summary>
internal sealed record Options(int Rate, int Seconds, int Clients, int Pods, bool RawClients = false, int References = 5, string Protocol = "messagepack", bool DropFrame = false, int StallSeconds = 0);
