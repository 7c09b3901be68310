using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Studio.E2E.Shared;

/// <summary>
/// Test hosts log errors only: several studio hosts run at once and their startup, shutdown and informer-retry chatter
/// buried the test runner's failure reports in CI output.
/// </summary>
public static class QuietLogging
{
    public static IWebHostBuilder UseQuietLogging(this IWebHostBuilder builder) =>
        // A rule for the console provider outranks appsettings' provider-less "Logging:LogLevel" rules.
        builder.ConfigureLogging(logging => logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Error));
}
