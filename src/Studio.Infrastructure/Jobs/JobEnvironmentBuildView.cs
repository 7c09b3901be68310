using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// How a job's image was built in the cluster, as its page and API show it: the build's state and times, the builder
/// pod, <see cref="Prepared"/> in one sentence (built by this job, or the build of another job reused), why it failed,
/// and the builder's log — live from the builder pod while it builds, the kept tail after.
/// </summary>
public sealed record JobEnvironmentBuildView(
    string Image,
    EnvironmentBuildState State,
    string Prepared,
    bool BuiltByThisJob,
    string? BuiltByJob,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string? BuilderPod,
    string? Failure,
    string? Log);
