namespace Studio.Infrastructure.Artifacts.Snapshots;

/// <summary>A file of a code snapshot: its path, size and SHA-256.</summary>
public sealed record SnapshotFile(string Path, long SizeBytes, string Sha256);
