using System.Text.Json.Serialization;
using MudBlazor.Services;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Studio.Sandbox;
using Studio.Web;
using Studio.Web.Components.Layout;
using Studio.Web.Hubs;
using Studio.Web.Model;
using Studio.Web.Security;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Composition of the web layer: UI, API, sign-in, telemetry.</summary>
public static class WebDependencyInjection
{
    public static WebApplicationBuilder AddStudioWeb(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        var studio = builder.Configuration.GetSection(StudioOptions.SectionName).Get<StudioOptions>() ?? new StudioOptions();
        builder.Services.Configure<StudioOptions>(builder.Configuration.GetSection(StudioOptions.SectionName));
        var dataFolder = Path.GetFullPath(studio.DataFolder, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataFolder);

        if (studio.JsonLogs)
        {
            builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = true);
        }

        // Infrastructure first: its migration hosted service must start before anything reads the Data Protection key ring.
        builder.AddStudioInfrastructure(dataFolder);
        builder.Services.AddSingleton<Studio.Infrastructure.Artifacts.IArtifactBaseUrl, ServerArtifactBaseUrl>();
        var auth = builder.AddStudioAuthentication();
        LoopbackGuard.EnsureLocalModeIsSafe(builder.Configuration, auth);
        if (auth.Mode == SignInMode.Local && !auth.AllowLocalModeOnNetwork)
        {
            // A page on attacker.example that resolves to 127.0.0.1 (DNS rebinding) must not reach the local administrator.
            builder.Services.PostConfigure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowedHosts = LoopbackGuard.LoopbackHosts);
        }

        builder.Services.AddStudioAzure(builder.Configuration);
        var sandbox = builder.Configuration.GetSection(SandboxSettings.SectionName).Get<SandboxSettings>() ?? new SandboxSettings();
        builder.Services.Configure<SandboxSettings>(builder.Configuration.GetSection(SandboxSettings.SectionName));
        if (sandbox.Enabled)
        {
            // Registered before the initializer: hosted services start in order, and the initializer registers the started sandbox.
            builder.Services.AddSandboxCluster(o =>
            {
                o.TopologyPath = string.IsNullOrWhiteSpace(sandbox.TopologyPath) ? null : sandbox.TopologyPath;
                o.Speed = sandbox.Speed;
            });
        }

        builder.Services.AddHostedService<StudioInitializer>();

        // Kestrel refuses bodies over the studio's limit (the API answers them 413 with problem details); a circuit's
        // messages may carry a form field as large as the job rules allow (a 64 KiB command), above SignalR's 32 KiB default.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = studio.MaxRequestBodyBytes);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(o => o.MaximumReceiveMessageSize = 256 * 1024);
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<ThemeCss>();
        builder.Services.AddSingleton<Studio.Web.Components.Controls.ChartMarkup>();
        builder.Services.AddStudioCircuitServices();
        builder.Services.AddSingleton<SharedChartHistory>();
        builder.Services.AddSingleton<GpuHeatMapRows>();
        builder.Services.AddTransient<MonitoringSession>();
        builder.Services.AddTransient<LiveInstanceTypes>();

        // The live module (Infrastructure) and the hub, one of its subscribers.
        builder.Services.AddStudioLive(builder.Configuration);
        builder.Services.AddOptions<LiveHubOptions>().Bind(builder.Configuration.GetSection(LiveHubOptions.SectionName));
        builder.Services.AddSingleton<LiveHubMetrics>();
        builder.Services.AddSingleton<LiveHubSubscriptions>();
        builder.Services.AddSingleton<LiveHubPublisher>();
        builder.Services.AddHostedService<LiveHubJobRelay>();
        builder.Services.AddOptions<RefusalLogOptions>().BindConfiguration(RefusalLogOptions.SectionName);
        builder.Services.AddSingleton<RefusalLog>();
        builder.Services.AddSingleton<LiveHubRefusals>();
        // Refusals are logged by LiveHubRefusals (information, rate-limited); real hub failures too, with their stack.
        // For every provider that has rules of its own too: a provider's own rule outranks a general one for any category.
        builder.Services.PostConfigure<LoggerFilterOptions>(o =>
        {
            foreach (var provider in o.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList())
            {
                o.Rules.Add(new LoggerFilterRule(provider, LiveHubRefusals.DispatcherCategory, LogLevel.None, null));
            }
        });
        var signalR = builder.Services.AddSignalR(o => Microsoft.AspNetCore.SignalR.HubOptionsExtensions.AddFilter<LiveHubRefusals>(o))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .AddMessagePackProtocol();
        if (builder.Configuration["Studio:SignalR:Redis"] is { Length: > 0 } redis)
        {
            signalR.AddStackExchangeRedis(redis, o => o.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("studio"));
        }

        signalR.AddLiveHubConnections();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Studio.Web.Api.BadRequestExceptionHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Enums are names in JSON; a number (which could be any undefined value) is refused as a 400 naming the field.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false)));
        builder.Services.AddOpenApi();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("studio"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddSource("Studio.*"))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddMeter(Studio.Infrastructure.Live.LiveMetrics.MeterName, "Studio.*"));
        if (!string.IsNullOrWhiteSpace(studio.OtlpEndpoint))
        {
            builder.Services.Configure<OpenTelemetry.Exporter.OtlpExporterOptions>(o => o.Endpoint = new Uri(studio.OtlpEndpoint));
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
