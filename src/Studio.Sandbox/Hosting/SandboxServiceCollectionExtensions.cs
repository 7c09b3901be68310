using Studio.Sandbox.Hosting;

namespace Studio.Sandbox;

/// <summary>Hosts the sandbox cluster in-process (Studio.Web's embedded default).</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="SandboxHost"/> singleton whose server an <c>IHostedService</c> starts and stops.</summary>
    public static IServiceCollection AddSandboxCluster(this IServiceCollection services, Action<SandboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new SandboxOptions();
        configure?.Invoke(options);
        services.AddSingleton(new SandboxHost(options));
        services.AddHostedService<SandboxHostedService>();
        return services;
    }
}
