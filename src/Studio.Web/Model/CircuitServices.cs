namespace Studio.Web.Model;

public static class CircuitServices
{
    /// <summary>The per-circuit services every page relies on: preferences, the workspace catalog, the circuit's lifetime.</summary>
    public static IServiceCollection AddStudioCircuitServices(this IServiceCollection services)
    {
        services.AddScoped<UserPreferences>();
        services.AddScoped<WorkspaceCatalog>();
        services.AddScoped<CircuitLifetime>();
        return services;
    }
}
