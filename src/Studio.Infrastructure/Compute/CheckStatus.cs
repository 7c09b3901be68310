namespace Studio.Infrastructure.Compute;

/// <summary>Outcome of one health or pre-flight check.</summary>
public enum CheckStatus
{
    Pass,
    Warning,
    Fail,
}
