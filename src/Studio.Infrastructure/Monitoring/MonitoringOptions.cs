namespace Studio.Infrastructure.Monitoring;

/// <summary><c>Studio:Monitoring</c>: how often cluster history is sampled into the database and how long it is kept.</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Studio:Monitoring";

    /// <summary>Whether the sampler runs (it holds a lease on every registered cluster's inventory while it does).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between samples. Default 30 s.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Samples older than this are deleted. Default 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
