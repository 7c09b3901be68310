namespace Studio.Live.Bench;

/// <summary>One <c>Update</c> message as a raw client saw it: hash of its bytes, arrival (Stopwatch ticks), snapshot flag if found.</summary>
internal sealed record RawFrame(ulong Hash, long At, bool? Snapshot);
