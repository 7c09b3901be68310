using Microsoft.Extensions.Hosting;

namespace Studio.Infrastructure.Leadership;

/// <summary>Joins the election when the host starts; leaves it (releasing the lead) when the host stops, after the loops that lead.</summary>
internal sealed class LeadershipLifetime(ILeadership leadership) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        (leadership as ElectedLeadership)?.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        leadership is ElectedLeadership elected ? elected.StopAsync(cancellationToken) : Task.CompletedTask;
}
