namespace Studio.Infrastructure.Persistence;

/// <summary>One line of the audit trail: who did what to which object, and when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string UserId { get; set; }

    public required string Action { get; set; }

    public required string Target { get; set; }

    public string? Detail { get; set; }
}
