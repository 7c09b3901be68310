namespace Studio.Sandbox.Storage;

/// <summary>Closes a subscription whose buffer overflowed; the client re-watches from its last resourceVersion.</summary>
internal sealed class SubscriberTooSlowException : Exception
{
    public SubscriberTooSlowException()
        : base("The watcher fell too far behind and was closed.")
    {
    }
}
