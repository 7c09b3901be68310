namespace Studio.Infrastructure.Jobs;

/// <summary>The pre-flight's answer to "will this job run?".</summary>
public enum FitVerdict
{
    /// <summary>Every instance fits in free capacity now.</summary>
    FitsNow,

    /// <summary>Fits on the matching nodes when they are free, but not now: the job will queue.</summary>
    WillQueue,

    /// <summary>No matching node is big enough for one instance (or there are too few for all of them, gang-placed): it can never run as defined.</summary>
    NeverFits,
}
