using System.Net;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Hosting;

/// <summary>Where the studio listens: the container's <c>ASPNETCORE_URLS</c> and the command line's <c>--urls</c>, not a default in appsettings.json.</summary>
public sealed class ListenAddressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AspNetCoreUrls_FromTheEnvironment_IsWhereTheStudioListens()
    {
        await using var studio = await StudioProcess.StartAsync(new Dictionary<string, string?>(), Ct);
        using var http = studio.CreateClient();

        using var response = await http.GetAsync("healthz/live", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"Now listening on: http://127.0.0.1:{studio.Port}", studio.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlsOnTheCommandLine_OutrankTheEnvironment()
    {
        var port = StudioProcess.FreePort();
        await using var studio = await StudioProcess.StartAsync(new Dictionary<string, string?>(), Ct, waitReady: false, arguments: ["--urls", $"http://127.0.0.1:{port}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        await WaitUntilAnsweringAsync(http, studio);

        Assert.Contains($"Now listening on: http://127.0.0.1:{port}", studio.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"Now listening on: http://127.0.0.1:{studio.Port}", studio.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_ExitsZeroWhileTheStudioAnswers_AndOneWhenNothingListens()
    {
        await using var studio = await StudioProcess.StartAsync(new Dictionary<string, string?>(), Ct);

        Assert.Equal(0, await ProbeAsync($"http://127.0.0.1:{studio.Port}/healthz/ready"));
        Assert.Equal(1, await ProbeAsync($"http://127.0.0.1:{StudioProcess.FreePort()}/healthz/ready"));
    }

    private static async Task<int> ProbeAsync(string url)
    {
        await using var probe = await StudioProcess.StartAsync(new Dictionary<string, string?>(), Ct, waitReady: false, arguments: ["--probe", url]);
        return await probe.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);
    }

    private static async Task WaitUntilAnsweringAsync(HttpClient http, StudioProcess studio)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            Assert.False(studio.HasExited, studio.Output);
            try
            {
                using var response = await http.GetAsync("healthz/live", Ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "The studio never answered on the --urls address:" + Environment.NewLine + studio.Output);
            await Task.Delay(250, Ct);
        }
    }
}
