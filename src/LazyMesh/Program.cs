using LazyMesh.Cli;

return await LazyMeshCli.RunAsync(args);
