using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// One data output of a job as the Outputs tab and the API show it: where it is (<c>azureml://datastores/...</c>), how it
/// left the pod, and its <see cref="State"/>: <c>pending</c> (the job has not finished), <c>complete</c> (every pod sent
/// its files and its upload record) or <c>incomplete</c> with <see cref="Reason"/>.
/// </summary>
public sealed record JobOutputView(string Name, string Type, string? Mode, string Delivery, string Location, string State, string? Reason, int? Files)
{
    public const string Pending = "pending";
    public const string Complete = "complete";
    public const string Incomplete = "incomplete";
}

/// <summary>An output and its files (relative to its folder).</summary>
public sealed record JobOutputFiles(JobOutputView Output, IReadOnlyList<ArtifactItem> Files);
