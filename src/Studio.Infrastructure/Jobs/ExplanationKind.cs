namespace Studio.Infrastructure.Jobs;

/// <summary>Which question the explainer answers.</summary>
public enum ExplanationKind
{
    /// <summary>Why is my job queued (and what would fit now)?</summary>
    Pending,

    /// <summary>Why did my job fail (and what to do)?</summary>
    Failure,

    /// <summary>Why will my queued job never start here (it cannot fit even on empty nodes)?</summary>
    NeverFits,
}
