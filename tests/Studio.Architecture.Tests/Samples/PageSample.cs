using Microsoft.AspNetCore.Components;

namespace Studio.Architecture.Tests.Samples.Pages;

/// <summary>The common base of the sample pages.</summary>
public abstract class SamplePageBase : ComponentBase
{
    [Inject]
    public required NavigationManager Navigation { get; init; }
}

/// <summary>A page that injects its own services beside the common base instead of deriving from it.</summary>
[Route("/sample/stray")]
public sealed class StrayPage : ComponentBase
{
    [Inject]
    public required NavigationManager Navigation { get; init; }
}

/// <summary>A page on the common base that adds a service of its own.</summary>
[Route("/sample/good")]
public sealed class GoodPage : SamplePageBase
{
    [Inject]
    public required TimeProvider Clock { get; init; }
}

/// <summary>A page that shows text only: it may stay plain.</summary>
[Route("/sample/static")]
public sealed class StaticPage : ComponentBase;
