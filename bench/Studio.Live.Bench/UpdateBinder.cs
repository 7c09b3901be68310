using Microsoft.AspNetCore.SignalR;
using Studio.Web.Hubs;

namespace Studio.Live.Bench;

/// <summary>The types of the live hub's client methods, for parsing messages with the SignalR protocols directly.</summary>
internal sealed class UpdateBinder : IInvocationBinder
{
    public IReadOnlyList<Type> GetParameterTypes(string methodName) => methodName switch
    {
        "Update" => [typeof(LiveUpdate)],
        "Ended" => [typeof(string), typeof(string)],
        _ => throw new InvalidOperationException($"Unexpected client method '{methodName}'."),
    };

    public Type GetReturnType(string invocationId) => typeof(object);

    public Type GetStreamItemType(string streamId) => throw new InvalidOperationException("The live bench does not stream.");
}
