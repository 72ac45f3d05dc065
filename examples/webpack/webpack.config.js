// Plain webpack 5, as Gatsby uses underneath. Nothing here is needed for the library: webpack
// finds its worker through `new SharedWorker(new URL("./worker.js", import.meta.url))` and emits
// it as a chunk of the app. Content hashes in chunk names keep two deploys' workers apart.
import HtmlWebpackPlugin from "html-webpack-plugin";
import { fileURLToPath } from "node:url";

export default {
  entry: "./src/index.js",
  output: {
    path: fileURLToPath(new URL("dist", import.meta.url)),
    filename: "[name].[contenthash].js",
    chunkFilename: "[name].[contenthash].js",
    clean: true,
  },
  devtool: "source-map",
  plugins: [new HtmlWebpackPlugin({ title: "gateway-connection · webpack + React" })],
};
