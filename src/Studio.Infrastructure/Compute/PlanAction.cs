namespace Studio.Infrastructure.Compute;

/// <summary>What applying a planned object will do.</summary>
public enum PlanAction
{
    Create,
    Update,
    Unchanged,
}
