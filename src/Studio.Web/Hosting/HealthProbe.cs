namespace Studio.Web.Hosting;

/// <summary>
/// <c>Studio.Web --probe URL</c>: asks a running studio's health endpoint and exits 0 when it answers 2xx, 1 otherwise.
/// The container image has no shell or curl, so Docker's HEALTHCHECK runs the studio itself this way.
/// </summary>
public static class HealthProbe
{
    public static bool IsProbe(string[] args) => args is ["--probe", _];

    public static async Task<int> RunAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }
}
