namespace Studio.Infrastructure.Jobs;

/// <summary>A Job of the same name exists in the namespace and is not this job's: the submit is refused, never a takeover.</summary>
public sealed class JobNameTakenException : InvalidOperationException
{
    public JobNameTakenException()
    {
    }

    public JobNameTakenException(string message)
        : base(message)
    {
    }

    public JobNameTakenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
