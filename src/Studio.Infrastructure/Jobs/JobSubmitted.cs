using Studio.Domain.Jobs;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// The answer to a submit: the job's name (used in <c>/api/workspaces/{ws}/jobs/{name}</c> and the detail page), its state,
/// whether this call created it (false when a retried submit with the same request id found the existing job), and for a
/// submitted YAML file the keys Studio does not run (by path, with the reason).
/// </summary>
public sealed record JobSubmitted(string Name, JobState State, bool Created)
{
    public IReadOnlyList<YamlIssue> Unsupported { get; init; } = [];
}
