namespace Studio.Infrastructure.Leadership;

/// <summary>Knobs of the leader election (<c>Studio:Leadership</c>).</summary>
public sealed class LeadershipOptions
{
    public const string SectionName = "Studio:Leadership";

    public LeadershipMode Mode { get; set; } = LeadershipMode.Auto;

    /// <summary>This replica's name in the election; default: the pod (host) name and the process id.</summary>
    public string? Identity { get; set; }

    /// <summary>The Lease's name (Kubernetes mode).</summary>
    public string LeaseName { get; set; } = "studio-leader";

    /// <summary>The Lease's namespace (Kubernetes mode); default: the pod's own namespace.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>
    /// How long a Lease not renewed still counts as held: a replica takes over at most this long (plus one
    /// <see cref="RetryPeriod"/>) after the leader died.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>A leader that could not renew its Lease (or reach its database lock) within this long stops leading.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How often a waiting replica tries to take the lead, and how often the leader renews or checks its lock.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The identity this replica uses: <see cref="Identity"/>, or the host name and process id.</summary>
    public string ResolveIdentity() =>
        string.IsNullOrWhiteSpace(Identity) ? $"{Environment.MachineName}/{Environment.ProcessId}" : Identity;
}
