namespace Studio.Web.Model;

public static class CircuitServices
{
    /// <summary>
    /// The per-circuit services every page relies on (preferences, the workspace catalog, the circuit's lifetime) and the
    /// page sessions, one per page that shows them (the state and logic of the job page and the submit form).
    /// </summary>
    public static IServiceCollection AddStudioCircuitServices(this IServiceCollection services)
    {
        services.AddScoped<UserPreferences>();
        services.AddScoped<WorkspaceCatalog>();
        services.AddScoped<CircuitLifetime>();
        services.AddTransient<JobDetailSession>();
        services.AddTransient<JobSubmitSession>();
        services.AddTransient<OverviewAttention>();
        services.AddTransient<QuickFind>();
        return services;
    }
}
