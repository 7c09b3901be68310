using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The answer to a submit: the job's name (used in <c>/api/workspaces/{ws}/jobs/{name}</c> and the detail page), its state,
/// and whether this call created it (false when a retried submit with the same request id found the existing job).
/// </summary>
public sealed record JobSubmitted(string Name, JobState State, bool Created);
