using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Jobs;

/// <summary>A job's code snapshot: its id, the folder it came from (<c>code:</c>), and its files (no snapshot: the job runs without code).</summary>
public sealed record JobCodeFiles(string? Snapshot, string? Folder, IReadOnlyList<ArtifactItem> Files);
