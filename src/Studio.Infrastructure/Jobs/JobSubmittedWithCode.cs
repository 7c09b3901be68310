using Studio.Infrastructure.Artifacts.Snapshots;

namespace Studio.Infrastructure.Jobs;

/// <summary>A job submitted with its files, and the code snapshot it runs in (<see cref="StoredSnapshot.Reused"/>: no upload was needed; null: its files were data inputs only).</summary>
public sealed record JobSubmittedWithCode(JobSubmitted Job, StoredSnapshot? Snapshot);
