namespace Studio.Domain.Jobs;

/// <summary>An imported CLI v2 command job: the spec Studio will run, and every key it could not carry over, with why.</summary>
public sealed record JobImport(JobSpec Spec, IReadOnlyList<YamlIssue> Unsupported);
