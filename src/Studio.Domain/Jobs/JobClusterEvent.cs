namespace Studio.Domain.Jobs;

/// <summary>A Kubernetes event about a job or its pods, kept in the job's record after the cluster forgets it.</summary>
public sealed class JobClusterEvent
{
    private JobClusterEvent()
    {
        Uid = Type = Reason = Message = Object = string.Empty;
    }

    internal JobClusterEvent(Guid jobId, string uid, DateTimeOffset at, string type, string reason, string message, string @object, int count)
    {
        JobId = jobId;
        Uid = uid;
        At = at;
        Type = type;
        Reason = reason;
        Message = message;
        Object = @object;
        Count = count;
    }

    public long Id { get; private set; }

    public Guid JobId { get; private set; }

    /// <summary>The event's uid on the cluster (so a re-read does not add a copy).</summary>
    public string Uid { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string Type { get; private set; }

    public string Reason { get; private set; }

    public string Message { get; private set; }

    public string Object { get; private set; }

    public int Count { get; private set; }
}
