namespace Studio.Domain.Jobs;

/// <summary>The lifecycle of a training job as users see it (Azure ML's names).</summary>
public enum JobState
{
    /// <summary>Accepted; waiting for capacity (pods pending or not yet created).</summary>
    Queued,

    /// <summary>Pods are placed; images are being pulled or containers created.</summary>
    Starting,

    /// <summary>At least one container is running.</summary>
    Running,

    /// <summary>Every instance finished successfully.</summary>
    Completed,

    /// <summary>Ended with an error (OOM, image pull, backoff limit, deadline, node lost...).</summary>
    Failed,

    /// <summary>Canceled by a user; pods deleted.</summary>
    Canceled,
}
