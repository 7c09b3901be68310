using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Live;

/// <summary>Refused hub subscriptions are expected answers: logged briefly, at information level, and never a flood.</summary>
public sealed class LiveHubRefusalTests : IAsyncLifetime
{
    private const int Budget = 5;

    private readonly StudioWebFactory _studio = new() { Settings = new Dictionary<string, string?> { ["Studio:Logging:Refusals:PerMinute"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _factory = null!;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = _studio.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddFakeLogging()));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _studio.DisposeAsync();
    }

    [Fact]
    public async Task RefusedSubscribes_AreLoggedAtInformationWithoutAStack_AtMostTheBudgetAMinute_AndAllCounted()
    {
        using var refusals = new MeterCounters(_factory.Services, RefusalLog.MeterName);
        await using var client = new LiveClient(_factory.Server, "bob", null);
        await client.StartAsync(Ct);

        for (var i = 0; i < 40; i++)
        {
            var refused = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync($"workspace:secret-{i}", Ct));
            Assert.Contains($"Workspace 'secret-{i}' was not found.", refused.Message, StringComparison.Ordinal);
        }

        var logs = _factory.Services.GetFakeLogCollector().GetSnapshot();
        Assert.DoesNotContain(logs, r => r.Level >= LogLevel.Warning && (r.Category?.StartsWith("Microsoft.AspNetCore.SignalR", StringComparison.Ordinal) == true || r.Category?.StartsWith("Studio.Web", StringComparison.Ordinal) == true));
        var lines = logs.Where(r => r.Message.Contains("Refused hub Subscribe(workspace:secret-", StringComparison.Ordinal)).ToList();
        Assert.Equal(Budget, lines.Count);
        Assert.All(lines, r =>
        {
            Assert.Equal(LogLevel.Information, r.Level);
            Assert.Null(r.Exception);
            Assert.Contains("for bob: Workspace 'secret-", r.Message, StringComparison.Ordinal);
        });
        Assert.Equal(40, refusals[RefusalLog.Refusals]);
    }
}
