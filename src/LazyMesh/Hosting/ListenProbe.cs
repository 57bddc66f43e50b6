using System.Net;
using System.Net.Sockets;

namespace LazyMesh.Hosting;

/// <summary>Checks that a listen address can be bound, so that a bad one is reported before anything is started or written.</summary>
public static class ListenProbe
{
    /// <summary>Null when <paramref name="endpoint"/> can be bound now (port 0 always can); else why not.</summary>
    public static string? Check(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Port == 0)
        {
            return null;
        }

        try
        {
            using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(endpoint);
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "the address is already in use",
                SocketError.AddressNotAvailable => "the address is not one of this machine's",
                SocketError.AccessDenied => "permission denied (ports below 1024 need privileges)",
                _ => e.Message,
            };
        }
    }
}
