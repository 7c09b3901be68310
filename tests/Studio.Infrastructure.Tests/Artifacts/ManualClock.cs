namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>A clock the test moves.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
