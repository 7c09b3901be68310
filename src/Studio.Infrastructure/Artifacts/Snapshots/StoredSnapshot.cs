using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Artifacts.Snapshots;

/// <summary>A stored snapshot, and whether it was there already (no second upload).</summary>
public sealed record StoredSnapshot(CodeSnapshot Snapshot, bool Reused, int IgnoredFiles);
