namespace LazyMesh.AccessLogs;

/// <summary>Reads Envoy's printed RESPONSE_FLAGS / RESPONSE_FLAGS_LONG (<c>NR</c>, <c>UF,URX</c>, <c>NoRouteFound</c>) without allocating.</summary>
internal static class AccessResponseFlagsText
{
    public static AccessResponseFlags Parse(ReadOnlySpan<char> text)
    {
        var flags = AccessResponseFlags.None;
        if (text.IsEmpty || text is "-")
        {
            return flags;
        }

        while (!text.IsEmpty)
        {
            int comma = text.IndexOf(',');
            var flag = comma < 0 ? text : text[..comma];
            text = comma < 0 ? default : text[(comma + 1)..];
            if (flag is "NR" or "NoRouteFound")
            {
                flags |= AccessResponseFlags.NoRouteFound;
            }
            else if (flag is "NC" or "NoClusterFound")
            {
                flags |= AccessResponseFlags.NoClusterFound;
            }
        }

        return flags;
    }
}
