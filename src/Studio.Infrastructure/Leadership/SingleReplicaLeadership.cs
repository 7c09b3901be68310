namespace Studio.Infrastructure.Leadership;

/// <summary>A single studio process (SQLite, or <see cref="LeadershipMode.Single"/>): it always leads.</summary>
public sealed class SingleReplicaLeadership(string identity) : ILeadership
{
    public string Identity => identity;

    public string Mechanism => "single replica";

    public bool IsLeader => true;

    public Task<CancellationToken> WaitForTermAsync(CancellationToken cancellationToken) => Task.FromResult(CancellationToken.None);
}
