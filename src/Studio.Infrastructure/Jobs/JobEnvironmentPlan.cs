namespace Studio.Infrastructure.Jobs;

/// <summary>
/// A conda file installed when the job's container starts: the pods' fetch step gets <see cref="Url"/> (signed for
/// reading that one zip — <c>conda.yml</c> and the <c>pip:</c> list as <c>requirements.txt</c> —, expiring with the job),
/// and the command is wrapped to install it first. <see cref="CondaOnly"/> are the conda packages pip cannot install,
/// named when the image has pip but no conda.
/// </summary>
public sealed record JobEnvironmentPlan(string Hash, string Url, IReadOnlyList<string> CondaOnly, int PipCount);
