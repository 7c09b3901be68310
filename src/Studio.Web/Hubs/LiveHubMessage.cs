using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Studio.Web.Hubs;

/// <summary>
/// One <c>Update</c> invocation shared by every member of a pump: serialized once per protocol in use (JSON,
/// MessagePack), on first demand, and written as those bytes to each connection.
/// </summary>
internal sealed class LiveHubMessage(LiveUpdate update, Action serialized)
{
    private readonly InvocationMessage _message = new("Update", [update]);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SerializedHubMessage> _byProtocol = new(StringComparer.Ordinal);

    public bool IsSnapshot => update.IsSnapshot;

    public SerializedHubMessage For(IHubProtocol protocol)
    {
        lock (_gate)
        {
            if (!_byProtocol.TryGetValue(protocol.Name, out var message))
            {
                message = new SerializedHubMessage([new SerializedMessage(protocol.Name, protocol.GetMessageBytes(_message))]);
                _byProtocol[protocol.Name] = message;
                serialized();
            }

            return message;
        }
    }
}
