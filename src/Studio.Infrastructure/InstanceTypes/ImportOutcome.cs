namespace Studio.Infrastructure.InstanceTypes;

/// <summary>What an import did (or, in a dry run, would do) with one instance type.</summary>
public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
    Failed,
}
