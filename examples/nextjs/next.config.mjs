// A static export (`out/`): the pages and the worker are plain files any server can host.
export default { output: "export" };
