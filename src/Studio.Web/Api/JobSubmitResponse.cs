using Studio.Domain.Jobs;

namespace Studio.Web.Api;

/// <summary>
/// The answer to a submit: the job's name (for <c>/api/workspaces/{ws}/jobs/{name}</c>), its state, whether this call created
/// it, its URL, and the YAML keys that were not carried over (YAML submits only).
/// </summary>
public sealed record JobSubmitResponse(string Name, JobState State, bool Created, string Url, IReadOnlyList<YamlIssue> Unsupported, JobCodeView? Code = null);
